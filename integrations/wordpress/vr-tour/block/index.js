/**
 * The VR Tour block in the editor, written against WordPress's globals (no
 * build step). The preview is the server-rendered iframe: the live tour.
 */
( function ( blocks, element, blockEditor, components, i18n, ServerSideRender ) {
	'use strict';

	var el = element.createElement;
	var __ = i18n.__;
	var UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

	/** A tour id, or the id inside a pasted tour URL (`…/t/ID` or `…/embed/ID`). */
	function tourIdOf( value ) {
		var match = UUID.exec( value || '' );
		return match ? match[ 0 ].toLowerCase() : '';
	}

	blocks.registerBlockType( 'vr-tour/tour', {
		edit: function ( props ) {
			var attributes = props.attributes;
			var blockProps = blockEditor.useBlockProps();
			var settings = el(
				blockEditor.InspectorControls,
				{},
				el(
					components.PanelBody,
					{ title: __( 'Tour', 'vr-tour' ) },
					el( components.ToggleControl, {
						label: __( 'Unbranded (for listing sites)', 'vr-tour' ),
						help: __( 'No logo, colours or links out of the tour.', 'vr-tour' ),
						checked: attributes.unbranded,
						onChange: function ( unbranded ) {
							props.setAttributes( { unbranded: unbranded } );
						},
					} ),
					el( components.RangeControl, {
						label: __( 'Height in pixels (0: 16:9)', 'vr-tour' ),
						value: attributes.height,
						min: 0,
						max: 1200,
						onChange: function ( height ) {
							props.setAttributes( { height: height || 0 } );
						},
					} )
				)
			);
			var input = el( components.TextControl, {
				label: __( 'Tour URL or id', 'vr-tour' ),
				value: attributes.tourId,
				onChange: function ( value ) {
					props.setAttributes( { tourId: tourIdOf( value ) || value } );
				},
			} );
			var preview = tourIdOf( attributes.tourId )
				? el( ServerSideRender, { block: 'vr-tour/tour', attributes: attributes } )
				: el( components.Placeholder, { icon: 'format-image', label: __( 'VR Tour', 'vr-tour' ), instructions: __( 'Paste a tour’s URL or id.', 'vr-tour' ) } );
			return el( 'div', blockProps, settings, input, preview );
		},
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n, window.wp.serverSideRender );
